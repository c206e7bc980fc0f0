package io.heraldmq.connect.syslog;

import java.util.Map;

/**
 * A parsed syslog message. Fields a message does not carry (RFC 5424's {@code -}, or absent in RFC 3164) are null.
 *
 * @param protocol       {@code rfc5424} or {@code rfc3164}
 * @param timestamp      ISO-8601 with offset, as sent (RFC 5424) or completed with this year and zone (RFC 3164)
 * @param structuredData RFC 5424 structured data as sent ({@code [id k="v"]...})
 * @param sdParams       its parameters, flattened to {@code sd_<id>_<name>} with every character that may not appear
 *                       in a JMS property name replaced by {@code _}
 * @param message        the MSG part, a leading UTF-8 BOM removed
 */
public record SyslogMessage(String protocol, int facility, int severity, String timestamp, String host, String app,
                            String procid, String msgid, String structuredData, Map<String, String> sdParams,
                            String message) {
}
