export {};
//# sourceMappingURL=db.int.spec.d.ts.map
