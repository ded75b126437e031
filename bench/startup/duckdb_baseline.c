/*
 * The baseline of the start-up benchmark (bench/startup/run.sh): DuckDB itself, through its C API, in a process that
 * does nothing else — open an in-memory database, run one query, print the first value. No DuckDB command-line shell
 * was reachable from this machine's package sources, so this stands in for `duckdb -c "<sql>"`; it links the same
 * libduckdb.so the tool ships (DuckDB.NET.Bindings.Full).
 *
 * The few declarations below follow DuckDB's public C API (duckdb.h); the result is opaque here, so it gets a buffer
 * larger than DuckDB's duckdb_result struct.
 */
#include <stdint.h>
#include <stdio.h>

typedef void *duckdb_database;
typedef void *duckdb_connection;
typedef struct { unsigned char opaque[256]; } duckdb_result;

extern int duckdb_open(const char *path, duckdb_database *database);
extern int duckdb_connect(duckdb_database database, duckdb_connection *connection);
extern int duckdb_query(duckdb_connection connection, const char *query, duckdb_result *result);
extern const char *duckdb_result_error(duckdb_result *result);
extern int64_t duckdb_value_int64(duckdb_result *result, uint64_t col, uint64_t row);
extern void duckdb_destroy_result(duckdb_result *result);
extern void duckdb_disconnect(duckdb_connection *connection);
extern void duckdb_close(duckdb_database *database);

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: duckdb_baseline '<sql returning an integer>'\n");
        return 2;
    }
    duckdb_database db;
    duckdb_connection con;
    duckdb_result result;
    if (duckdb_open(NULL, &db) != 0 || duckdb_connect(db, &con) != 0) {
        fprintf(stderr, "error: cannot open DuckDB\n");
        return 1;
    }
    int failed = duckdb_query(con, argv[1], &result) != 0;
    if (failed) fprintf(stderr, "error: %s\n", duckdb_result_error(&result));
    else printf("%lld\n", (long long)duckdb_value_int64(&result, 0, 0));
    duckdb_destroy_result(&result);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return failed;
}
