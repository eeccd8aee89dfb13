// A user part as the trace lists and filters it (the server's index and the console's live filter alike):
// lower-case, as typed (typed-user.ts: `*21%23` is `*21#`, so that USER=*21# finds the call), left
// escaped when it would decode to a space (the user lists are words apart).
import { typedUser } from '../sip/message/typed-user';

export function userKey(user: string): string {
  const typed = typedUser(user);
  return (/\s/.test(typed) ? user : typed).toLowerCase();
}
