namespace CloudInventory.Catalog;

/// <summary>How the collector turns the API value into the column value.</summary>
public enum ColumnConversion
{
    /// <summary>The value as the API returns it, following the column type.</summary>
    None,
    /// <summary>A list of Key/Value structures becomes a <c>map&lt;string,string&gt;</c>.</summary>
    TagListToMap,
    /// <summary>A string that already holds a JSON document, kept as text.</summary>
    JsonText,
    /// <summary>A URL-encoded JSON document (IAM policy documents), decoded to JSON text.</summary>
    UrlEncodedJsonText,
    /// <summary>A nested value written as JSON text (recursive shapes cut at the cycle, untyped documents).</summary>
    ValueAsJson,
}
