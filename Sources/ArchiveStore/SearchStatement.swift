/// A search lowered to SQL: placeholders only, with the values to bind in placeholder order.
///
/// Every value that came from the user (MATCH expressions, names, ids, times) is a bound parameter; the SQL
/// text itself only varies with the query's structure, so it is safe to cache and to show in errors.
struct SearchStatement {
    enum Value {
        case text(String)
        case integer(Int64)
    }

    var sql = ""
    var values: [Value] = []

    mutating func append(_ fragment: String, _ bound: Value...) {
        sql += fragment
        values += bound
    }

    mutating func append(_ other: SearchStatement) {
        sql += other.sql
        values += other.values
    }
}
