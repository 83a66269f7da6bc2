/**
 * Markup in the names people type (consultant names, token names) and in what Microsoft reports about
 * an account. Every page and mail must show them as text: the raw payload never appears in HTML, and
 * no CR or LF reaches a mail header.
 */
export const SCRIPT_PAYLOADS: string[] = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '<svg/onload=alert(1)>',
  '</title><script>alert(1)</script>',
  '</textarea><script>alert(1)</script>',
  '<a href="javascript:alert(1)">x</a>',
  '<%= it.secret %>',
  '<iframe srcdoc="<script>alert(1)</script>">',
  '<!--<script>alert(1)//-->',
];

/** Markup that must not survive as markup: the characters HTML escaping turns into entities. */
export const unescaped = (payload: string) => /[<>"]/.test(payload) || payload.includes("'");
