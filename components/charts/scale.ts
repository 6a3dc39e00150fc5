/** A linear map from [d0, d1] onto [r0, r1]; a flat domain maps to the middle of the range. */
export function linear([d0, d1]: [number, number], [r0, r1]: [number, number]) {
  return (value: number) => (d1 === d0 ? (r0 + r1) / 2 : r0 + ((value - d0) / (d1 - d0)) * (r1 - r0));
}

/** The smallest and largest of `values`, with 0 as the floor of a quantity that cannot be negative. */
export function extent(values: number[], fromZero = true): [number, number] {
  const max = Math.max(...values);
  const min = fromZero ? 0 : Math.min(...values);
  return [min, max];
}
