export * from './domain';
export * from './company-name';
export * from './similarity';
export * from './match';
export * from './pairs';
export * from './duplicates';
export * from './match-step';
