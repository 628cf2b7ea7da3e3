// The corpus as the generated service imports it.

export * from "./absence.js";
export * from "./advanced.js";
export * from "./arrays.js";
export * from "./jsdoc.js";
export * from "./namespaces.js";
export * from "./objects.js";
export * from "./primitives.js";
export * from "./recursion.js";
export * from "./refused.js";
export * from "./unions.js";
export * from "./reexported.js";
export * from "./tjs-aliases.js";
export * from "./tjs-annotations.js";
export * from "./tjs-classes.js";
export * from "./tjs-literals.js";
export * from "./tjs-objects.js";
export * from "./tjs-unions.js";
export * from "./peer-access.js";
export * from "./peer-arrays.js";
export * from "./peer-classes.js";
export * from "./peer-enums.js";
export * from "./peer-generics.js";
export * from "./peer-jsdoc.js";
export * from "./peer-literals.js";
export * from "./peer-mapped.js";
export * from "./peer-objects.js";
