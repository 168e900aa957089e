'use strict';
// The sidebar's autocomplete filters (archive/admin/filters.py): choosing an item opens
// the list filtered by it; clearing the input opens the list without this filter.
{
    const $ = django.jQuery;
    // select2 announces a choice with jQuery's trigger("change"), which listeners added
    // with addEventListener never hear: listen through jQuery.
    $(document).on('change', '.autocomplete-filter select', function() {
        const box = this.closest('.autocomplete-filter');
        const url = new URL(box.dataset.filterBase, window.location.href);
        if (this.value) {
            url.searchParams.set(this.dataset.filterParameter, this.value);
        }
        window.location.assign(url.href);
    });
}
