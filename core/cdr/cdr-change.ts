// What the CDR store tells when rows went or came other than by the recorder's batches (whose calls,
// MESSAGEs and registrations the consoles follow already): a CLR CDR, or an import of numbered rows.
// The consoles' CDR view loads its page again on it (the control contract's cdr topic).
export interface CdrChange {
  type: 'cleared' | 'imported';
  /** Rows deleted or added. */
  rows: number;
}
