package io.runway.worker.callback;

import java.util.UUID;

/** Request and answer bodies of the callback endpoints. */
final class CallbackBodies {

    private CallbackBodies() {}

    /** Body of {@code POST /callback/link/update}. */
    record LinkUpdate(String linkId, String status, String linkProfile, String linkPost, String errorMessage) {}

    /** Body of {@code POST /callback/link/complete}. */
    record LinkComplete(String linkId, String linkProfile, String linkPost) {}

    /** Body of {@code POST /callback/request/status}. */
    record RequestStatus(String requestId, String status) {}

    /** Body of {@code POST /callback/account/status}. */
    record AccountStatus(String accountId, String status) {}

    /** The {@code data} of a request status answer. */
    record RequestUpdated(boolean updated, UUID requestId, String status) {}

    /** The {@code data} of an account status answer. */
    record AccountUpdated(boolean updated, UUID accountId, String status) {}
}
