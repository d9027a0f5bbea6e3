export {};
//# sourceMappingURL=ops-server.spec.d.ts.map
