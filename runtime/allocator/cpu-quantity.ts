/** Cores from a number or a Kubernetes CPU quantity ("500m", "2", "1.5"); undefined when not one. */
export function parseCpuQuantity(quantity: number | string): number | undefined {
  if (typeof quantity === "number") return Number.isFinite(quantity) && quantity > 0 ? quantity : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(quantity);
  if (!match) return undefined;
  const cores = match[2] === "m" ? Number(match[1]) / 1000 : Number(match[1]);
  return cores > 0 ? cores : undefined;
}
