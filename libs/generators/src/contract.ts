// The slice of the OrderPlaced contract the generators produce, imported in one place.
export { PAYMENT_METHODS, type FraudPattern, type OrderPlacedV1Input, type PaymentMethod } from '@fraudline/events';
