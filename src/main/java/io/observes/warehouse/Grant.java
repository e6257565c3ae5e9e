package io.observes.warehouse;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a schema's or table's ACL as both warehouses print it: the grantee (empty for
 * PUBLIC), whether it names a group ({@code group x=...}, Redshift's form), and its privilege letters
 * ({@code U} usage, {@code r} select, ...).
 */
public record Grant(String grantee, boolean group, String privileges) {
  public boolean has(char privilege) {
    return privileges.indexOf(privilege) >= 0;
  }

  /**
   * Entries of an ACL as text, comma-separated: {@code [group ]name=privileges/grantor}, a name
   * double-quoted (quotes doubled) when it needs it.
   */
  static List<Grant> parseAcl(String text) {
    List<Grant> grants = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return grants;
    }
    List<String> entries = new ArrayList<>();
    StringBuilder entry = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      }
      if (ch == ',' && !quoted) {
        entries.add(entry.toString());
        entry.setLength(0);
      } else {
        entry.append(ch);
      }
    }
    entries.add(entry.toString());
    for (String item : entries) {
      String rest = item.trim();
      boolean group = rest.startsWith("group ");
      if (group) {
        rest = rest.substring("group ".length());
      }
      StringBuilder name = new StringBuilder();
      int i = 0;
      if (rest.startsWith("\"")) {
        for (i = 1; i < rest.length(); i++) {
          char ch = rest.charAt(i);
          if (ch == '"' && i + 1 < rest.length() && rest.charAt(i + 1) == '"') {
            name.append('"');
            i++;
          } else if (ch == '"') {
            i++;
            break;
          } else {
            name.append(ch);
          }
        }
      } else {
        while (i < rest.length() && rest.charAt(i) != '=') {
          name.append(rest.charAt(i++));
        }
      }
      if (i >= rest.length() || rest.charAt(i) != '=') {
        continue;
      }
      int slash = rest.indexOf('/', i);
      grants.add(new Grant(name.toString(), group, rest.substring(i + 1, slash < 0 ? rest.length() : slash)));
    }
    return grants;
  }
}
