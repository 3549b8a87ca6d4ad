package dashboard

// catalogRoutes lists this group's pages (being written).
func (s *Server) catalogRoutes() []route { return nil }
