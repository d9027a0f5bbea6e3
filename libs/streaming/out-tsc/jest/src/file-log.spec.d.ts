export {};
//# sourceMappingURL=file-log.spec.d.ts.map
