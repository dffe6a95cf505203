#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED /* Debian's ICU headers clash with Foundation's _FoundationICU module */
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <string.h>

/* xmlFree is a mutable global function pointer, which Swift 6 rejects; call it through a function. */
static inline void clibxml2_free(void *pointer) { xmlFree(pointer); }
static inline const char *clibxml2_version(void) { return LIBXML_DOTTED_VERSION; }

/* Per-parse state for the depth guard below; owned by the Swift caller for the duration of one parse. */
typedef struct {
    int depthLimit;     /* most open elements (html and body included) the parser may hold */
    long resumeOffset;  /* -1, or the byte offset where the parse was stopped for depth */
} clibxml2_parse_state;

/* SAX start-element hook. libxml2 2.9.14 scans its whole open-element stack for every end tag and auto-close,
   so a deep stack makes parsing quadratic; past the limit we stop and the caller resumes from the offset. */
static inline void clibxml2_start_element(void *context, const xmlChar *name, const xmlChar **attributes) {
    htmlParserCtxtPtr ctxt = (htmlParserCtxtPtr)context;
    clibxml2_parse_state *state = (clibxml2_parse_state *)ctxt->_private;
    if (state != NULL && ctxt->nameNr > state->depthLimit) {
        if (state->resumeOffset < 0 && ctxt->input != NULL) {
            state->resumeOffset = (long)(ctxt->input->consumed + (unsigned long)(ctxt->input->cur - ctxt->input->base));
        }
        xmlStopParser(ctxt);
        return;
    }
    xmlSAX2StartElement(context, name, attributes);
}

/* Feeds libxml2 from caller-owned memory on demand. Not a static buffer: libxml2 2.9.14 duplicates content when it
   shrinks one (a 1 MB text came back as 2 MB), and not a copy of the whole input either: resuming after a depth stop
   would then copy the rest of the input again for every stop. */
typedef struct {
    const char *bytes;
    int length;
    int position;
} clibxml2_memory_reader;

static inline int clibxml2_read(void *context, char *buffer, int length) {
    clibxml2_memory_reader *reader = (clibxml2_memory_reader *)context;
    int available = reader->length - reader->position;
    int count = available < length ? available : length;
    if (count <= 0) return 0;
    memcpy(buffer, reader->bytes + reader->position, (size_t)count);
    reader->position += count;
    return count;
}

/* Parses `length` bytes of UTF-8 HTML with the depth guard; the caller frees the document. */
static inline htmlDocPtr clibxml2_parse_html(const char *bytes, int length, int options, clibxml2_parse_state *state) {
    clibxml2_memory_reader reader = {bytes, length, 0};
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (ctxt == NULL) return NULL;
    xmlParserInputBufferPtr buffer =
        xmlParserInputBufferCreateIO(clibxml2_read, NULL, &reader, XML_CHAR_ENCODING_NONE);
    if (buffer == NULL) {
        htmlFreeParserCtxt(ctxt);
        return NULL;
    }
    xmlParserInputPtr stream = xmlNewIOInputStream(ctxt, buffer, XML_CHAR_ENCODING_NONE);
    if (stream == NULL) {
        xmlFreeParserInputBuffer(buffer);
        htmlFreeParserCtxt(ctxt);
        return NULL;
    }
    inputPush(ctxt, stream);
    htmlCtxtUseOptions(ctxt, options);
    /* Always UTF-8 and no conversion (byte offsets stay those of `bytes`); HTML_PARSE_IGNORE_ENC keeps it so. */
    xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
    ctxt->sax->startElement = clibxml2_start_element;
    ctxt->_private = state;
    htmlParseDocument(ctxt);
    htmlDocPtr document = ctxt->myDoc;
    ctxt->myDoc = NULL;
    htmlFreeParserCtxt(ctxt); /* also frees the input buffer; `reader` is not touched after this */
    return document;
}
