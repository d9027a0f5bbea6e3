export {};
//# sourceMappingURL=serde.spec.d.ts.map
