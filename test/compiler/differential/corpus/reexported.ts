// A second file whose types reach the service only through index.ts's re-exports.

export interface Invoice { number: string; lines: InvoiceLine[]; total: number; currency: "EUR" | "USD" }
export interface InvoiceLine { sku: string; quantity: number; price: number }
export type InvoiceStatus = "draft" | "sent" | "paid";
export type InvoiceSummary = Pick<Invoice, "number" | "total"> & { status: InvoiceStatus };
