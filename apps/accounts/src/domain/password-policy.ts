import { WeakPasswordError } from './domain-error';

/**
 * NIST SP 800-63B: length over composition rules, and no password from a list
 * of commonly used ones. These are common passwords of 12 or more characters
 * (shorter ones fail on length anyway).
 */
const COMMON = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '1234567891011', '111111111111', '000000000000',
  '123123123123', '987654321098', 'qwertyuiopas', 'qwertyuiop123', 'qwerty123456', '1q2w3e4r5t6y', '1qaz2wsx3edc',
  'password1234', 'password12345', 'password123!', 'passwordpassword', 'password123456', 'p@ssw0rd1234', 'p@ssword1234',
  'iloveyou1234', 'letmein12345', 'welcome12345', 'welcome123456', 'administrator', 'admin1234567', 'changeme1234',
  'abcdefghijkl', 'abcd12345678', 'abc123456789', 'football1234', 'baseball1234', 'sunshine1234', 'princess1234',
  'starwars1234', 'trustno11234', 'superman1234', 'mypassword123', 'mypassword1234', 'aaaaaaaaaaaa', 'asdfghjkl123',
  'zxcvbnm12345', 'qazwsxedcrfv', 'correcthorsebatterystaple', 'passw0rdpassw0rd', 'monkey123456', 'dragon123456',
]);

/** Throws naming the rule that failed. */
export function assertAcceptablePassword(password: string, context: { email?: string } = {}): void {
  if (password.length < 12) throw new WeakPasswordError('password must have at least 12 characters');
  const folded = password.toLowerCase();
  if (COMMON.has(folded)) throw new WeakPasswordError('password is one of the most common passwords; choose another');
  if (/^(.)\1+$/.test(password)) throw new WeakPasswordError('password must not repeat one character');
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && folded.includes(local)) throw new WeakPasswordError('password must not contain your e-mail address');
}
