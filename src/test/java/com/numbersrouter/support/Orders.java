package com.numbersrouter.support;

/** Distinct order notifications, so tests can count them and check their order. */
public final class Orders {

    private static final String TEMPLATE = Payloads.read("orders/order-complete.xml");
    private static final String ID = "6f1e7c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

    private Orders() {
    }

    public static String id(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    public static String numbered(int n) {
        return TEMPLATE.replace(ID, id(n));
    }
}
