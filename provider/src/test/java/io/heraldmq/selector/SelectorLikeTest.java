package io.heraldmq.selector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.heraldmq.selector.Sel.F;
import static io.heraldmq.selector.Sel.T;
import static io.heraldmq.selector.Sel.U;
import static io.heraldmq.selector.Sel.assertEval;
import static io.heraldmq.selector.Sel.assertInvalid;
import static io.heraldmq.selector.Sel.msg;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

/** 3.8.1.1 identifier [NOT] LIKE pattern-value [ESCAPE escape-character]. */
class SelectorLikeTest {

    private static void like(Boolean expected, String pattern, String value) {
        assertEval(expected, "v LIKE '" + pattern.replace("'", "''") + "'", "v", value);
        assertEval(expected == null ? null : !expected, "v NOT LIKE '" + pattern.replace("'", "''") + "'", "v", value);
    }

    @Test
    void specExamples() {
        assertEval(T, "phone LIKE '12%3'", "phone", "123");
        assertEval(T, "phone LIKE '12%3'", "phone", "12993");
        assertEval(F, "phone LIKE '12%3'", "phone", "1234");
        assertEval(T, "word LIKE 'l_se'", "word", "lose");
        assertEval(F, "word LIKE 'l_se'", "word", "loose");
        assertEval(T, "underscored LIKE '\\_%' ESCAPE '\\'", "underscored", "_foo");
        assertEval(F, "underscored LIKE '\\_%' ESCAPE '\\'", "underscored", "bar");
        assertEval(F, "phone NOT LIKE '12%3'", "phone", "123");
        assertEval(F, "phone NOT LIKE '12%3'", "phone", "12993");
        assertEval(T, "phone NOT LIKE '12%3'", "phone", "1234");
    }

    @ParameterizedTest(name = "''{1}'' LIKE ''{0}'' = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "abc | abc | T", "abc | abd | F", "abc | ab | F", "abc | abcd | F", "abc | ABC | F",
            "% | '' | T", "% | anything | T", "%% | '' | T", "_ | '' | F", "_ | a | T", "_ | ab | F",
            "a% | a | T", "a% | abc | T", "a% | ba | F", "%a | a | T", "%a | bca | T", "%a | ab | F",
            "%b% | abc | T", "%b% | ac | F", "a%c | ac | T", "a%c | abbbc | T", "a%c | abcb | F",
            "a_c | abc | T", "a_c | ac | F", "a__ | abc | T", "a__ | ab | F", "_%_ | ab | T", "_%_ | a | F",
            "%a%b%c% | xaybzc | T", "%a%b%c% | xcybza | F", "a%a%a | aaa | T", "a%a%a | aa | F",
            "%aab | aaab | T", "%abab | abababab | T", "%abac | ababac | T", "''   | '' | T", "'' | x | F"
    })
    void wildcards(String pattern, String value, String expected) {
        like(expected.equals("T"), pattern.equals("''") ? "" : pattern, value.equals("''") ? "" : value);
    }

    @Test
    void regexMetacharactersAreLiteral() {
        like(T, "a.c", "a.c");
        like(F, "a.c", "abc");
        like(T, "a*", "a*");
        like(F, "a*", "aaa");
        like(F, "a*", "");
        like(T, "[ab]", "[ab]");
        like(F, "[ab]", "a");
        like(T, "^a$", "^a$");
        like(T, "a+?{2}(x|y)\\d\\Q\\E", "a+?{2}(x|y)\\d\\Q\\E");
        like(F, "\\d", "1");
        like(T, "%.txt", "file.txt");
        like(F, "%.txt", "filetxt");
    }

    @Test
    void wildcardsMatchWholeCharactersIncludingSurrogatePairsAndLineBreaks() {
        like(T, "_", "\ud83d\ude00");
        like(T, "a_b", "a\ud83d\ude00b");
        like(F, "__", "\ud83d\ude00");
        like(T, "a%b", "a\nline\r\nb");
        like(T, "a_b", "a\nb");
        like(T, "caf\u00e9%", "caf\u00e9 au lait");
    }

    @Test
    void escapeCharacter() {
        assertEval(T, "v LIKE '100!%' ESCAPE '!'", "v", "100%");
        assertEval(F, "v LIKE '100!%' ESCAPE '!'", "v", "1000");
        assertEval(T, "v LIKE 'a!_b' ESCAPE '!'", "v", "a_b");
        assertEval(F, "v LIKE 'a!_b' ESCAPE '!'", "v", "axb");
        // the escape character escapes itself
        assertEval(T, "v LIKE 'a!!b' ESCAPE '!'", "v", "a!b");
        assertEval(F, "v LIKE 'a!!b' ESCAPE '!'", "v", "a!!b");
        assertEval(T, "v LIKE '!!%' ESCAPE '!'", "v", "!anything");
        assertEval(T, "v LIKE '%!%%' ESCAPE '!'", "v", "50% off");
        // a quote as escape character, and a regex metacharacter as escape character
        assertEval(T, "v LIKE 'a''%' ESCAPE ''''", "v", "a%");
        assertEval(T, "v LIKE 'a.%' ESCAPE '.'", "v", "a%");
        assertEval(T, "v LIKE 'a..' ESCAPE '.'", "v", "a.");
        // without ESCAPE a backslash is an ordinary character
        assertEval(T, "v LIKE 'a\\%'", "v", "a\\xyz");
        // escape keyword is case-insensitive; '%' itself as escape character
        assertEval(T, "v LIKE 'a%_' escape '%'", "v", "a_");
        assertEval(F, "v LIKE 'a%_' escape '%'", "v", "ab");
    }

    @Test
    void nullIdentifierIsUnknown() {
        assertEval(U, "v LIKE 'a%'");
        assertEval(U, "v NOT LIKE 'a%'");
        assertEval(U, "v LIKE 'a!%' ESCAPE '!'");
    }

    @Test
    void nonStringValueIsLikeNoPattern() {
        // NOT LIKE is NOT (LIKE), as in SQL
        assertEval(F, "v LIKE '1%'", "v", 12);
        assertEval(T, "v NOT LIKE '1%'", "v", 12);
        assertEval(F, "v LIKE '%'", "v", true);
    }

    @Test
    void pathologicalPatternsAreFast() {
        String value = "a".repeat(5000);
        SelectorContext m = msg("v", value);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertEval(F, "v LIKE '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b'", m));
    }

    @Test
    void invalidLikeExpressions() {
        assertInvalid("v LIKE 5");
        assertInvalid("v LIKE b");
        assertInvalid("v LIKE");
        assertInvalid("v LIKE TRUE");
        assertInvalid("v LIKE 'a' ESCAPE");
        assertInvalid("v LIKE 'a' ESCAPE '!!'");
        assertInvalid("v LIKE 'a' ESCAPE ''");
        assertInvalid("v LIKE 'a' ESCAPE 1");
        assertInvalid("v LIKE 'a' ESCAPE e");
        assertInvalid("v LIKE 'a!' ESCAPE '!'");   // pattern ends with the escape character
        assertInvalid("v LIKE '!a' ESCAPE '!'");   // escape followed by an ordinary character
        assertInvalid("'abc' LIKE 'a%'");
        assertInvalid("v + 1 LIKE 'a%'");
        assertInvalid("v NOT LIKE");
        assertInvalid("v ESCAPE '!'");
    }

    @Test
    void escapeCharacterMayBeASurrogatePair() {
        assertEval(T, "v LIKE 'a\ud83d\ude00%' ESCAPE '\ud83d\ude00'", "v", "a%");
    }
}
