// Types that cannot travel as JSON, or that bentoc refuses as requests on purpose.

export type SymbolValue = symbol;
export interface WithSymbol { name: string; key: symbol }
export type Callback = (value: number) => void;
export interface WithFunction { id: number; onDone: () => void }
export class WithMethods { value = 0; double(): number { return this.value * 2; } }
export interface WithMethodSignature { id: string; describe(): string }
