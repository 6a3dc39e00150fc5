/** "1 volume", "14 volumes": a count with its noun, in the number it takes. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
