// The minimum a staff password must meet, with the reasons in Bahasa Indonesia: the staff member
// reads them. Length is what counts most (NIST SP 800-63B); a short list of what is guessed first
// (the most common passwords, and the system's own names) is refused outright.

export const MIN_PASSWORD_LENGTH = 10;

const COMMON = new Set([
  '1234567890',
  '12345678910',
  '123456789a',
  'qwertyuiop',
  'password123',
  'password1234',
  'passw0rd123',
  'admin12345',
  'administrator',
  'iloveyou123',
  'abcdefghij',
  '1q2w3e4r5t',
  'qwerty12345',
  'sayang12345',
  'indonesia123',
  'indonesia1945',
  'bismillah123',
  'merdeka1945',
  'lapor12345',
  'laporgoid',
  'sp4nlapor!',
  'sp4n-lapor',
  'rahasia123',
  'katasandi123',
  'garuda12345',
  'jakarta123',
]);

/** What is wrong with a new password, in Bahasa Indonesia; empty when it is acceptable. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push(`Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter.`);
  if (password.toLowerCase() === username.toLowerCase()) problems.push('Kata sandi tidak boleh sama dengan nama pengguna.');
  if (COMMON.has(password.toLowerCase())) problems.push('Kata sandi ini terlalu umum dan mudah ditebak; pilih yang lain.');
  return problems;
}
