/* The institution picker of the request form: the plain list of institutions
   becomes a searchable one (select2, shipped with CKAN) that finds an institution
   by its French or Arabic name or its acronym, however accents, hamza, taa
   marbuta and alef maqsura are typed. */
this.ckan.module('transparency-institution-picker', function ($) {
  function fold(text) {
    return (text || '').normalize('NFD').replace(/[\u0300-\u036f\u064b-\u0652\u0640]/g, '')
      .replace(/[\u0622\u0623\u0625]/g, '\u0627').replace(/\u0629/g, '\u0647').replace(/\u0649/g, '\u064a')
      .toLowerCase();
  }

  return {
    initialize: function () {
      this.el.select2({
        width: '100%',
        matcher: function (term, text, option) {
          return fold(option.data('search') + ' ' + text).indexOf(fold(term)) >= 0;
        }
      });
    }
  };
});
