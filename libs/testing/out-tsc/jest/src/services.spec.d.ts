export {};
//# sourceMappingURL=services.spec.d.ts.map
