package io.kimiproxy.features.sanitizer;

/**
 * One place a secret shape matches: {@code [start, end)} is replaced by the text up to
 * {@code headEnd} (the word "Bearer ", the assignment's name, the URL up to the password) and a
 * placeholder of {@code kind}. A null kind is a candidate the shape rejects on a closer look
 * ({@code password = user.password}): the redactor then goes on from the next character.
 */
record SecretMatch(int start, int end, int headEnd, String kind) {}
