export {};
//# sourceMappingURL=connect.spec.d.ts.map
