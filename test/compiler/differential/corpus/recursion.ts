// Recursive types: self, mutual, through arrays, records, unions and generics.

export interface TreeNode { value: number; children: TreeNode[] }
export interface LinkedList { value: string; next?: LinkedList }
export interface BinaryTree { value: number; left?: BinaryTree; right?: BinaryTree | null }
export interface Folder { name: string; items: (Folder | FileEntry)[] }
export interface FileEntry { name: string; size: number; parent?: Folder }
export type JsonLike = string | number | boolean | null | JsonLike[] | { [key: string]: JsonLike };
export interface Graph { nodes: Record<string, GraphNode> }
export interface GraphNode { id: string; edges: Record<string, GraphNode> }
export type Expression = { op: "num"; value: number } | { op: "add" | "mul"; left: Expression; right: Expression };
interface GenericTree<T> { value: T; kids: GenericTree<T>[] }
export type StringTree = GenericTree<string>;
export type NestedArray = (number | NestedArray)[];
export interface Category { name: string; parent: Category | null; path: [string, Category?] }
