package io.abrfetch.player;

/** Escapes text for XML and XHTML content and attribute values: the reports' only way in for text. */
final class XmlText {
  private XmlText() {}

  /**
   * {@code text} with {@code & < > " '} as entities, and every character XML 1.0 cannot carry
   * (controls other than tab, newline and carriage return, unpaired surrogates, U+FFFE, U+FFFF)
   * replaced by U+FFFD, so any string yields well-formed markup.
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if (isXmlChar(c)) {
            out.append(c);
          } else {
            out.append('\uFFFD');
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean isXmlChar(char c) {
    return c == '\t' || c == '\n' || c == '\r'
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD);
  }
}
