package io.mambarec.api;

/** What an external id (user, item, event) may look like in the API. */
public final class ApiIds {

    /** 1 to 128 characters from letters, digits and {@code . _ : @ -}. */
    public static final String PATTERN = "[A-Za-z0-9._:@-]{1,128}";

    public static final String MESSAGE = "must be 1-128 characters from A-Z a-z 0-9 . _ : @ -";

    private ApiIds() {}
}
