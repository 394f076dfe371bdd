package io.runway.assign.request;

import java.math.BigDecimal;

/** Fields of a request an operator may change; {@code null} keeps the current value. */
record RequestChange(Integer target, Integer priority, BigDecimal auctionPrice, String website, String config) {}
