package dashboard

// inboxRoutes lists this group's pages (being written).
func (s *Server) inboxRoutes() []route { return nil }
