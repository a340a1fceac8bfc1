// Rules and constants live in zod-free modules (rating, complaint, cases, access, codes) so the mini-program's main
// package does not carry zod; the *-schema modules hold the zod DTOs. package.json declares no side effects.
export * from './rating';
export * from './rating-schema';
// The rating request is a zod/mini schema of its own module: the rating function carries no classic zod.
export * from './rating-request';
export * from './errors';
export * from './credit-code';
export * from './time';
export * from './access';
export * from './codes';
export * from './registry';
export * from './complaint';
export * from './complaint-schema';
export * from './cases';
export * from './facts';
export * from './case-schema';
export * from './audit';
export * from './registry-admin';
export * from './enterprise';
export * from './enterprise-schema';
export * from './visit';
export * from './visit-schema';
export * from './imports';
export * from './posters';
export * from './people';
export * from './contact';
// calendar.ts is imported by path (@mashang/shared/src/calendar): its holiday data stays out of the mini-program.
export * from './calendar-schema';
export * from './invitations';
export * from './invitation-schema';
export * from './citizen-case';
export * from './letters';
export * from './photos';
export * from './stats';
export * from './exports';
export * from './report';
