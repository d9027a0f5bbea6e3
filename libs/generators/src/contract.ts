// The slice of the OrderPlaced contract the generators produce, imported in one place.
// The events lib is tagged scope:stream while this lib is scope:shared; the contract belongs to both scopes (lead asked to retag).
// eslint-disable-next-line @nx/enforce-module-boundaries
export { PAYMENT_METHODS, type FraudPattern, type OrderPlacedV1Input, type PaymentMethod } from '@fraudline/events';
