// The resources' names, apart from their declarations: the tables, the resource definition and the
// engine's state name a resource without loading every declaration. index.ts checks that the declared
// resources are exactly these.

export type ResourceName = "products" | "customers" | "orders";
