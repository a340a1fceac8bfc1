export * from './rating';
export * from './errors';
export * from './credit-code';
export * from './time';
export * from './access';
export * from './codes';
export * from './registry';
export * from './complaint';
export * from './cases';
// calendar.ts is imported by path (@mashang/shared/src/calendar): its holiday data stays out of the mini-program.
