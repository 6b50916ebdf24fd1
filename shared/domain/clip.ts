/** Shortening text for fields with a length limit, the same way on every surface and in every answer. */

/** The first `max` UTF-16 units of `text`, one fewer when that would cut a surrogate pair in half. */
export function prefix(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** `text`, or its longest prefix that fits in `max` UTF-16 units with a closing `…`. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${prefix(text, max - 1)}…`;
}
