// The one source of a precompiled-header target (cmake/precompiled_headers.cmake): the header is the product.
