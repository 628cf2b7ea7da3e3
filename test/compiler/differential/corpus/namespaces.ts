// Namespaces: types reached through a qualified name become root types through aliases.

export namespace Geo {
  export interface Coordinate { lat: number; lon: number }
  export type Polygon = Coordinate[];
  export namespace Units {
    export enum Distance { Km = "km", Mile = "mile" }
  }
}

export type Coordinate = Geo.Coordinate;
export type Polygon = Geo.Polygon;
export type DistanceUnit = Geo.Units.Distance;
export interface Route { from: Geo.Coordinate; to: Geo.Coordinate; unit: Geo.Units.Distance }
