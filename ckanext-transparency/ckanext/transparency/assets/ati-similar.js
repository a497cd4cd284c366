/* "Has this been asked or published already?": as the subject and the text of a
   request are typed, fetches the suggestions (a fragment the server renders in the
   page's language) and shows them under the fields. Without JavaScript the form's
   "check before sending" button gives the same list. */
this.ckan.module('transparency-ati-similar', function ($) {
  return {
    options: {url: null, delay: 400},

    initialize: function () {
      this.target = this.el.find('[data-similar-target]');
      this.fields = this.el.find('[name=title], [name=notes]');
      this.timer = null;
      this.asked = null;
      this.fields.on('input', this._later.bind(this));
    },

    _later: function () {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(this._fetch.bind(this), this.options.delay);
    },

    _fetch: function () {
      // Sent in the body of a POST, never in an address: what a requester types may name
      // people, and addresses end up in access logs. The server reads the first words only.
      var typed = {subject: this.el.find('[name=title]').val(),
                   text: this.el.find('[name=notes]').val().slice(0, 300)};
      var key = JSON.stringify(typed);
      if (key === this.asked) { return; }
      this.asked = key;
      var target = this.target;
      var form = $.extend({_csrf_token: this.el.find('[name=_csrf_token]').val()}, typed);
      $.post(this.options.url, form).done(function (html) {
        if (this.asked === key) { target.html(html); }
      }.bind(this));
    }
  };
});
