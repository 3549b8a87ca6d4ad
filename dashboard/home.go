package dashboard

import "net/http"

// home is the first page after signing in (being written).
func (s *Server) home(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.render(w, r, c, http.StatusOK, "home", "Home", "home", nil)
}
