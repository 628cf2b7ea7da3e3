/** The three Iris species, in the order of the model's output probabilities. */
export const SPECIES = ["setosa", "versicolor", "virginica"] as const;
export type Species = (typeof SPECIES)[number];
