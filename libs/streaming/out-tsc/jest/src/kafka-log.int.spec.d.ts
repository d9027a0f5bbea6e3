export {};
//# sourceMappingURL=kafka-log.int.spec.d.ts.map
