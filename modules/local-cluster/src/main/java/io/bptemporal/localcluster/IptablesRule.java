package io.bptemporal.localcluster;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code iptables -S}: split into arguments the way a shell would (comments are
 * quoted).
 */
final class IptablesRule {
  private IptablesRule() {}

  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        } else {
          word.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** The chain a rule jumps or goes to ({@code -j}/{@code -g}), or "" when it has none. */
  static String target(List<String> words) {
    for (int i = 0; i < words.size() - 1; i++) {
      if (words.get(i).equals("-j") || words.get(i).equals("-g")) {
        return words.get(i + 1);
      }
    }
    return "";
  }
}
