package io.observes.etl.zoho;

import java.util.List;
import java.util.Locale;

/** The CRM modules the ETL reads (LEGACY.md §5), each one table of schema {@code zoho_crm}. */
final class ZohoModules {
  static final List<String> ALL = List.of("Leads", "Accounts", "Contacts", "Deals", "Campaigns", "Tasks", "Cases", "Calls",
      "Solutions", "Products", "Vendors", "Price_Books", "Quotes", "Sales_Orders", "Purchase_Orders", "Invoices");

  private ZohoModules() {}

  /** The module's stream (and table) name: {@code Price_Books} -> {@code price_books}. */
  static String stream(String module) {
    return module.toLowerCase(Locale.ROOT);
  }
}
