export {};
//# sourceMappingURL=postgres-warehouse.spec.d.ts.map