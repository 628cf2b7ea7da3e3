// Numeric aliases: plain numbers to TypeScript, sized integers/floats to the schema.
// Each carries an optional phantom property keyed by its own unique symbol, so any
// number is assignable to any alias, and the compiler can tell them apart anywhere a
// type appears (nested in arrays, properties, generics), not only at a type annotation.
declare const int8Brand: unique symbol;
declare const int16Brand: unique symbol;
declare const int32Brand: unique symbol;
declare const int64Brand: unique symbol;
declare const uint8Brand: unique symbol;
declare const uint16Brand: unique symbol;
declare const uint32Brand: unique symbol;
declare const uint64Brand: unique symbol;
declare const float32Brand: unique symbol;
declare const float64Brand: unique symbol;

export type int8 = number & { readonly [int8Brand]?: never };
export type int16 = number & { readonly [int16Brand]?: never };
export type int32 = number & { readonly [int32Brand]?: never };
export type int64 = number & { readonly [int64Brand]?: never };
export type uint8 = number & { readonly [uint8Brand]?: never };
export type uint16 = number & { readonly [uint16Brand]?: never };
export type uint32 = number & { readonly [uint32Brand]?: never };
export type uint64 = number & { readonly [uint64Brand]?: never };
export type float32 = number & { readonly [float32Brand]?: never };
export type float64 = number & { readonly [float64Brand]?: never };
/** Any integer that JSON can carry exactly (|n| ≤ 2^53 − 1). */
export type integer = int64;
