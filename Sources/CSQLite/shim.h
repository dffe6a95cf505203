#include <sqlite3.h>

// sqlite3_config is variadic, which Swift cannot call. Memory statistics take a global mutex on every
// allocation; the archive never reads them. Returns SQLITE_MISUSE once SQLite is initialized (harmless).
static inline int csqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#include <math.h>
#include <string.h>

// archive_bm25(fts, max_rowid, weight...): FTS5's bm25 (k1 = 1.2, b = 0.75, the same per-row formula), except
// for the document frequency of each phrase. bm25 counts every row matching each phrase once per query, which
// for a common phrase is most of the query's time (10 ms of 12 for "release review" in a 1M-message archive).
// Here the count stops at CSQLITE_RANK_SAMPLE rows: rarer phrases get the exact count; commoner ones an
// estimate from how far into the rowids (ascending, up to max_rowid) the sample reached. A frequency only
// weighs phrases against each other, so a one-phrase query skips the count (its weight is 1) and ranks
// exactly as with bm25; a prefix phrase in particular would merge all its terms' postings again to count.
#define CSQLITE_RANK_SAMPLE 4096

typedef struct {
    sqlite3_int64 hits;
    sqlite3_int64 last_rowid;
} csqlite_rank_sample;

typedef struct {
    int phrase_count;
    double average_length;
    double *idf;
    double *frequency;
} csqlite_rank_data;

static int csqlite_rank_count(const Fts5ExtensionApi *api, Fts5Context *context, void *user) {
    csqlite_rank_sample *sample = (csqlite_rank_sample *)user;
    sample->hits += 1;
    sample->last_rowid = api->xRowid(context);
    return sample->hits >= CSQLITE_RANK_SAMPLE ? SQLITE_DONE : SQLITE_OK;
}

static csqlite_rank_data *csqlite_rank_prepare(
    const Fts5ExtensionApi *api, Fts5Context *context, sqlite3_int64 max_rowid, int *rc
) {
    int phrases = api->xPhraseCount(context);
    csqlite_rank_data *data = (csqlite_rank_data *)sqlite3_malloc64(
        sizeof(csqlite_rank_data) + sizeof(double) * 2 * (sqlite3_uint64)(phrases > 0 ? phrases : 1));
    if (data == NULL) {
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    data->phrase_count = phrases;
    data->idf = (double *)&data[1];
    data->frequency = &data->idf[phrases > 0 ? phrases : 1];
    sqlite3_int64 rows = 0, tokens = 0;
    *rc = api->xRowCount(context, &rows);
    if (*rc == SQLITE_OK) *rc = api->xColumnTotalSize(context, -1, &tokens);
    data->average_length = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1.0;
    if (phrases == 1) data->idf[0] = 1.0;
    for (int phrase = 0; phrase < phrases && phrases > 1 && *rc == SQLITE_OK; phrase++) {
        csqlite_rank_sample sample = {0, 0};
        *rc = api->xQueryPhrase(context, phrase, &sample, csqlite_rank_count);
        double hits = (double)sample.hits;
        if (sample.hits >= CSQLITE_RANK_SAMPLE && sample.last_rowid > 0 && max_rowid > sample.last_rowid) {
            hits = hits * (double)max_rowid / (double)sample.last_rowid;
        }
        if (hits > (double)rows) hits = (double)rows;
        double idf = log(((double)rows - hits + 0.5) / (hits + 0.5));
        data->idf[phrase] = idf > 0.0 ? idf : 1e-6;
    }
    if (*rc == SQLITE_OK) *rc = api->xSetAuxdata(context, data, sqlite3_free);
    else sqlite3_free(data);
    return *rc == SQLITE_OK ? data : NULL;
}

static void csqlite_rank(
    const Fts5ExtensionApi *api, Fts5Context *context, sqlite3_context *result, int argc, sqlite3_value **argv
) {
    int rc = SQLITE_OK;
    csqlite_rank_data *data = (csqlite_rank_data *)api->xGetAuxdata(context, 0);
    if (data == NULL) {
        sqlite3_int64 max_rowid = argc > 0 ? sqlite3_value_int64(argv[0]) : 0;
        data = csqlite_rank_prepare(api, context, max_rowid, &rc);
        if (data == NULL) {
            sqlite3_result_error_code(result, rc);
            return;
        }
    }
    memset(data->frequency, 0, sizeof(double) * (size_t)data->phrase_count);
    int instances = 0;
    rc = api->xInstCount(context, &instances);
    for (int index = 0; index < instances && rc == SQLITE_OK; index++) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(context, index, &phrase, &column, &offset);
        double weight = argc > 1 + column ? sqlite3_value_double(argv[1 + column]) : 1.0;
        if (rc == SQLITE_OK && phrase >= 0 && phrase < data->phrase_count) data->frequency[phrase] += weight;
    }
    int length = 0;
    if (rc == SQLITE_OK) rc = api->xColumnSize(context, -1, &length);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return;
    }
    const double k1 = 1.2, b = 0.75;
    double score = 0.0;
    for (int phrase = 0; phrase < data->phrase_count; phrase++) {
        double frequency = data->frequency[phrase];
        score += data->idf[phrase] * (frequency * (k1 + 1.0))
            / (frequency + k1 * (1.0 - b + b * (double)length / data->average_length));
    }
    sqlite3_result_double(result, -score);
}

// Registers archive_bm25 on `db` through FTS5's API pointer (SQLITE_ERROR when FTS5 is missing).
static inline int csqlite_register_rank(sqlite3 *db) {
    fts5_api *api = NULL;
    sqlite3_stmt *statement = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_pointer(statement, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(statement);
    rc = sqlite3_finalize(statement);
    if (rc != SQLITE_OK) return rc;
    if (api == NULL || api->iVersion < 2) return SQLITE_ERROR;
    return api->xCreateFunction(api, "archive_bm25", NULL, csqlite_rank, NULL);
}
