type Column = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/**
 * `column` with room for at least `length` elements: itself, or a copy twice as large. Typed arrays
 * rather than an object per entry: a volume of 100,000 entries costs a few MB, not tens.
 */
export function grown<T extends Column>(column: T, length: number): T {
  if (length <= column.length) return column;
  const larger = new (column.constructor as new (length: number) => T)(Math.max(length, column.length * 2));
  larger.set(column as never);
  return larger;
}
