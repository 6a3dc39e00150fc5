/** A dynamic route segment as written (`ctrl%2D1` is `ctrl-1`); null when its %-encoding is malformed. */
export function decodeSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
