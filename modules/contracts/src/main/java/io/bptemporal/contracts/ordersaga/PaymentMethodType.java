package io.bptemporal.contracts.ordersaga;

/** How an order is paid. */
public enum PaymentMethodType {
  CARD,
  BANK_TRANSFER,
  WALLET
}
