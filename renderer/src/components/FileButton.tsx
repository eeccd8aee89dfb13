// A file chooser as a button in the console's language: the browser's own control reads "Choose File"
// (and "No file chosen") in the browser's language, whatever the console's. The input stays the
// accessible control, named by `label`; picking the same file again works (its value is cleared).
export function FileButton({
  label,
  text,
  accept,
  busy = false,
  onFile,
}: {
  /** The input's accessible name. */
  label: string;
  /** What the button says. */
  text: string;
  accept: string;
  busy?: boolean;
  onFile: (file: File) => void;
}) {
  return (
    <label className={`btn upload-btn ${busy ? 'busy' : ''}`}>
      {text}
      <input
        type="file"
        className="visually-hidden"
        accept={accept}
        aria-label={label}
        disabled={busy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file !== undefined) onFile(file);
        }}
      />
    </label>
  );
}
